/** Where the engine writes operational messages; Terraform shows them under TF_LOG. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
