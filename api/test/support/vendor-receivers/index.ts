// Local stand-ins for the notification vendors: real servers on 127.0.0.1 that check each request
// against the vendor's documented format and answer as the vendor does. A sender that drifts from
// a format gets the vendor's refusal (and the receiver records the problems), so a test fails.
export { HttpReceiver, type ReceivedRequest, type VendorAnswer } from './http-receiver.ts';
export { slackReceiver, slackProblems } from './slack.receiver.ts';
export { pagerdutyReceiver, pagerdutyProblems, type PagerdutyReceiver } from './pagerduty.receiver.ts';
export { datadogReceiver, datadogProblems } from './datadog.receiver.ts';
export { webhookReceiver, webhookBodyProblems, type WebhookReceiver } from './webhook.receiver.ts';
export { SmtpReceiver, localCertificate, type ReceivedMail, type SmtpReceiverOptions } from './smtp.receiver.ts';
