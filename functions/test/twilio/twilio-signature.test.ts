import twilio from 'twilio';
import { isValidTwilioSignature, twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';

const TOKEN = '12345678901234567890123456789012';
const URL_WITH_KEY = 'https://europe-west1-ereg.cloudfunctions.net/sms/status?messageKey=reminder%3Aapt_1%3A2';
const FORM = { MessageSid: 'SM123', MessageStatus: 'delivered', To: '+48600100200', ErrorCode: '' };

describe('Twilio request signatures', () => {
  test('match what Twilio’s own library computes for the same URL and form', () => {
    expect(twilioSignature(TOKEN, URL_WITH_KEY, FORM)).toBe(
      twilio.getExpectedTwilioSignature(TOKEN, URL_WITH_KEY, FORM),
    );
    const inbound = { From: '+48600100200', Body: 'SZCZEPIENIE 44051401359 00-950 ąę', MessageSid: 'SM9' };
    const url = 'http://127.0.0.1:8080/api/sms/inbound';
    expect(twilioSignature(TOKEN, url, inbound)).toBe(twilio.getExpectedTwilioSignature(TOKEN, url, inbound));
  });

  test('a request signed with the token is accepted and Twilio’s library agrees', () => {
    const signature = twilioSignature(TOKEN, URL_WITH_KEY, FORM);
    expect(isValidTwilioSignature(TOKEN, URL_WITH_KEY, FORM, signature)).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, URL_WITH_KEY, FORM)).toBe(true);
  });

  test('another token, URL, parameter value or a missing header is refused', () => {
    const signature = twilioSignature(TOKEN, URL_WITH_KEY, FORM);
    expect(isValidTwilioSignature(`${TOKEN}x`, URL_WITH_KEY, FORM, signature)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL_WITH_KEY.replace('2', '3'), FORM, signature)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL_WITH_KEY, { ...FORM, MessageStatus: 'failed' }, signature)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL_WITH_KEY, FORM, undefined)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL_WITH_KEY, FORM, 'short')).toBe(false);
  });
});
