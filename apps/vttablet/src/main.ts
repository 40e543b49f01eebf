// composition root (to be written)
export {};
