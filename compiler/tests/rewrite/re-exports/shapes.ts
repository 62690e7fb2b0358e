export const unit = { w: 1, h: 1 };
