-- How the places a centre published for a day were used: booked ÷ published and given ÷ published.
-- day: the centre's local date
-- centre_id: the centre
-- voivodeship: the centre's voivodeship (TERYT code)
-- powiat: the centre's powiat (TERYT code; null when the centre has none recorded)
-- places_published: places published for the day, all products
-- booked: visits of the day that were kept booked to the end (vaccinated, missed or not vaccinated)
-- given: visits where a dose was given
-- booked_share: booked ÷ places_published; null with no places published
-- given_share: given ÷ places_published; null with no places published
SELECT
  day,
  centre_id,
  voivodeship,
  powiat,
  places_published,
  completed + no_shows + not_given AS booked,
  completed AS given,
  SAFE_DIVIDE(completed + no_shows + not_given, places_published) AS booked_share,
  SAFE_DIVIDE(completed, places_published) AS given_share
FROM `ereg.visit_outcomes_daily`
