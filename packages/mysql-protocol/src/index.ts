// @vt/mysql-protocol
export {};
