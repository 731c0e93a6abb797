export * as sms from "./sms";
export * as dcs from "./dcs";
