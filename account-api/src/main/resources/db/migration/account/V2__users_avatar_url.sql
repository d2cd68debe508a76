-- Profiles: an optional avatar picture, an absolute http(s) URL checked by the API (at most 512
-- characters). NULL means "no avatar"; the client shows a default picture.
ALTER TABLE users
  ADD COLUMN avatar_url VARCHAR(512) NULL AFTER nickname;
