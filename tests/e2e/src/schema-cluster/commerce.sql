create table users (user_id bigint not null, name varchar(100), email varchar(255), primary key (user_id));
create table orders (order_id bigint not null, user_id bigint not null, amount decimal(10,2), note varchar(20), primary key (order_id));
create table pinned (id bigint not null, secret varchar(20), shown varchar(20), primary key (id));
