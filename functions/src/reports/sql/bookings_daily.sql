-- Bookings made, moved and cancelled per day, by channel, product and dose.
-- refreshed by: events.occurred_on
-- day: the country's date the booking, move or cancellation was made
-- channel: who made it: web (the person in the patients' app), hotline (an agent on a call), sms (the person by text message), centre (centre staff), system (the system, e.g. a centre's day cancelled)
-- vaccine_id: the product booked
-- dose: the course's dose number
-- bookings: visits booked (a course's later doses booked with the first count each)
-- later_doses: of those, the later doses booked along with a first
-- moves: visits moved to another time
-- cancellations: visits cancelled
SELECT
  occurred_on AS day,
  CASE actor_role
    WHEN 'patient' THEN 'web'
    WHEN 'agent' THEN 'hotline'
    WHEN 'sms' THEN 'sms'
    WHEN 'staff' THEN 'centre'
    ELSE 'system'
  END AS channel,
  vaccine_id,
  dose,
  COUNTIF(type = 'appointment.booked') AS bookings,
  COUNTIF(type = 'appointment.booked' AND JSON_VALUE(data, '$.autoBooked') = 'true') AS later_doses,
  COUNTIF(type = 'appointment.rescheduled') AS moves,
  COUNTIF(type = 'appointment.cancelled') AS cancellations
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type IN ('appointment.booked', 'appointment.rescheduled', 'appointment.cancelled')
GROUP BY day, channel, vaccine_id, dose
