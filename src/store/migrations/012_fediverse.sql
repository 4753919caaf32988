-- Fediverse: Allmende as an ActivityPub actor per connection. The actor's user name is its
-- address (@name@host), so it is unique across the instance, not per workspace. Followers are
-- kept per actor: who follows, and the inbox their server wants activities in.

create unique index connections_fediverse_username on connections ((settings->>'username')) where platform = 'fediverse';

create table fediverse_followers (
  connection_id uuid not null references connections on delete cascade,
  actor_id text not null,
  inbox text not null,
  shared_inbox text,
  handle text,
  followed_at timestamptz not null default now(),
  primary key (connection_id, actor_id)
);
