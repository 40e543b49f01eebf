CREATE TABLE users (
    user_id BIGINT NOT NULL,
    name VARCHAR(100),
    grp INT,
    manager_id BIGINT,
    PRIMARY KEY (user_id)
);

CREATE TABLE orders (
    order_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    amount DECIMAL(10,2),
    PRIMARY KEY (order_id)
);

CREATE TABLE items (
    item_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    sku VARCHAR(20),
    qty INT,
    PRIMARY KEY (item_id)
);
