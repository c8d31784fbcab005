-- How far ahead visits are booked: bookings per day by channel, dose and the days from the booking to the visit.
-- refreshed by: events.occurred_on
-- day: the country's date the booking was made
-- channel: web, hotline, sms, centre or system (as in bookings_daily)
-- dose: the course's dose number booked
-- lead_days: days from the booking's date to the visit's date (0: a visit the same day)
-- bookings: visits booked with that lead
SELECT
  occurred_on AS day,
  CASE actor_role
    WHEN 'patient' THEN 'web'
    WHEN 'agent' THEN 'hotline'
    WHEN 'sms' THEN 'sms'
    WHEN 'staff' THEN 'centre'
    ELSE 'system'
  END AS channel,
  dose,
  DATE_DIFF(visit_date, occurred_on, DAY) AS lead_days,
  COUNT(*) AS bookings
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type = 'appointment.booked'
GROUP BY day, channel, dose, lead_days
