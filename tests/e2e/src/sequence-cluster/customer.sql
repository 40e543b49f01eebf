create table customer (customer_id bigint not null, email varchar(64), primary key (customer_id));
