-- The hotline's look-ups of people per day, by the reason the agent gave and how the person was found.
-- refreshed by: events.occurred_on
-- day: the country's date of the look-ups
-- reason: the reason chosen before the look-up (caller-booking, caller-changing, caller-asking, relative-booking, other)
-- looked_up_by: what the agent searched by (pesel, reference: a booking reference, phone)
-- lookups: look-ups made
-- found_none: of those, look-ups that found nobody
SELECT
  occurred_on AS day,
  JSON_VALUE(data, '$.reasonCode') AS reason,
  JSON_VALUE(data, '$.by') AS looked_up_by,
  COUNT(*) AS lookups,
  COUNTIF(CAST(JSON_VALUE(data, '$.found') AS INT64) = 0) AS found_none
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type = 'hotline.looked_up'
GROUP BY day, reason, looked_up_by
