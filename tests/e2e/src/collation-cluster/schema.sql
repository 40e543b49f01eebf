CREATE TABLE words (
    id BIGINT NOT NULL,
    w VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
    b VARBINARY(40),
    PRIMARY KEY (id)
);
