// snowball-stemmers ships no types; this is the part Allmende uses.
declare module 'snowball-stemmers' {
  const snowball: { newStemmer(language: string): { stem(word: string): string } };
  export default snowball;
}
