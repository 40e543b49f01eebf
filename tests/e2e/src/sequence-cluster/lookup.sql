create table customer_seq (id bigint, next_id bigint, cache bigint, primary key(id)) comment 'vitess_sequence';
insert into customer_seq (id, next_id, cache) values (0, 1, 5);
