export interface Config {
  /** Configuration of the model marketplace backend. */
  modelMarketplace?: {};
}
