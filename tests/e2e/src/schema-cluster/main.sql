create table item (item_id bigint not null, title varchar(50), primary key (item_id));
