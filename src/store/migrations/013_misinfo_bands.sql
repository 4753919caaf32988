-- Near-copy bands: 8 bands of 3 MinHash rows per item (were 16 of 4; see src/misinfo/minhash.ts),
-- half the rows to write and to probe. Band keys stored before cannot meet the new ones, so the
-- stored bands and signatures are emptied: near-copies of texts from before the upgrade are no
-- longer found as such (campaigns already found stay as they are; new ones form from new texts).
-- Signatures now carry the author and the time, so finding candidates does not read `items`.
delete from misinfo_bands;
delete from misinfo_signatures;
alter table misinfo_signatures add column author text, add column created_at timestamptz;
