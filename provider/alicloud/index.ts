export * as mse from "./mse";
