-- Vaccine stock per batch and day: doses received, given and wasted (where centres record their batches).
-- refreshed by: events.occurred_on
-- day: the country's date of the movements
-- centre_id: the centre holding the batch
-- vaccine_id: the batch's product
-- batch_id: the batch (as the centre recorded it)
-- doses_received: doses of the batch added to the centre's stock
-- doses_given: doses of the batch given (visits recorded with this batch)
-- doses_wasted: doses of the batch lost without being given (broken, expired, kept too warm, drawn but not given, left in a closed batch, other)
SELECT
  occurred_on AS day,
  centre_id,
  vaccine_id,
  JSON_VALUE(data, '$.batchId') AS batch_id,
  SUM(IF(type = 'batch.added', CAST(JSON_VALUE(data, '$.doses') AS INT64), 0)) AS doses_received,
  COUNTIF(type = 'appointment.completed') AS doses_given,
  SUM(IF(type = 'dose.wasted', CAST(JSON_VALUE(data, '$.count') AS INT64), 0)) AS doses_wasted
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type IN ('batch.added', 'appointment.completed', 'dose.wasted')
  AND JSON_VALUE(data, '$.batchId') IS NOT NULL
GROUP BY day, centre_id, vaccine_id, batch_id
