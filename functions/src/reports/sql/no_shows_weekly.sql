-- Missed visits per centre and ISO week: visits, no-shows and the no-show rate.
-- week: the Monday of the ISO week of the visits
-- centre_id: the centre
-- voivodeship: the centre's voivodeship (TERYT code)
-- powiat: the centre's powiat (TERYT code; null when the centre has none recorded)
-- visits: visits that came to an end (vaccinated, missed, or came but not vaccinated)
-- no_shows: of those, visits the person missed
-- no_show_rate: no_shows ÷ visits (0 to 1); null without visits
SELECT
  DATE_TRUNC(day, ISOWEEK) AS week,
  centre_id,
  voivodeship,
  powiat,
  SUM(completed + no_shows + not_given) AS visits,
  SUM(no_shows) AS no_shows,
  SAFE_DIVIDE(SUM(no_shows), SUM(completed + no_shows + not_given)) AS no_show_rate
FROM `ereg.visit_outcomes_daily`
GROUP BY week, centre_id, voivodeship, powiat
