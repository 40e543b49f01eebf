CREATE TABLE user_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id)) COMMENT 'vitess_sequence';
CREATE TABLE code_idx (code VARCHAR(20) NOT NULL PRIMARY KEY, keyspace_id VARBINARY(128));
