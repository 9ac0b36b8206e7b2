import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering Material UI components in jsdom takes seconds per test on a busy
// 2-core CI machine. The tests wait on conditions (findBy*, waitFor); bound
// each test generously instead of jest's 5 s default.
jest.setTimeout(60_000);

// findBy* and waitFor wait up to 1 s by default: too little on that machine.
configure({ asyncUtilTimeout: 15_000 });
