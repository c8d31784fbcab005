-- Text messages per day and purpose: accepted by the provider, delivered, not delivered, refused, skipped; each message counts once in each status it reached, on the day it reached it.
-- refreshed by: events.occurred_on
-- day: the country's date the message reached the status (one sent late in the evening may be delivered the next day)
-- purpose: why it was sent: booked (a booking's confirmation), later_dose (a later dose's), moved, cancelled, reminder (the day before a visit), reply (an answer to a text), booked_by_text (the notice to a person's own phone that a visit was booked for them by text)
-- sent: messages the provider accepted (whatever its report later said)
-- delivered: messages the provider reported delivered to the phone (each counted as sent on the day it was accepted)
-- undelivered: messages the provider reported not delivered (the phone out of reach, the carrier refused); sent too
-- failed: messages the provider reported it could not send after accepting them; sent too
-- rejected: messages the provider refused at once for good (an invalid number), never sent
-- skipped: messages not sent because they were no longer true when their time came (the visit cancelled or moved)
SELECT
  occurred_on AS day,
  JSON_VALUE(data, '$.purpose') AS purpose,
  COUNTIF(JSON_VALUE(data, '$.status') = 'sent') AS sent,
  COUNTIF(JSON_VALUE(data, '$.status') = 'delivered') AS delivered,
  COUNTIF(JSON_VALUE(data, '$.status') = 'undelivered') AS undelivered,
  COUNTIF(JSON_VALUE(data, '$.status') = 'failed') AS failed,
  COUNTIF(JSON_VALUE(data, '$.status') = 'rejected') AS rejected,
  COUNTIF(JSON_VALUE(data, '$.status') = 'skipped') AS skipped
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type = 'sms.status_changed'
GROUP BY day, purpose
