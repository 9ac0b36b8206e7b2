export { ModelCardGrid, FIRST_FRAME_CARDS } from './ModelCardGrid';
