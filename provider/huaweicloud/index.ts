export * as sms from "./sms";
