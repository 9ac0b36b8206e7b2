export {
  buildExampleCall,
  type ExampleCall,
  type ExampleCallProtocol,
  type ExampleCallTarget,
} from './buildExampleCall';
