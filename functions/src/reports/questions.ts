/**
 * Questions analysts ask, each with the GoogleSQL that answers it on the warehouse: the same text runs
 * in BigQuery (with `@today` as a DATE parameter) and on the embedded default (`npm run ask`). The
 * README's "Ask the data" shows them; a test keeps the two alike.
 */
export interface Question {
  question: string;
  sql: string;
}

export const QUESTIONS: readonly Question[] = [
  {
    question: 'How many second doses were given in Małopolska to people over 70 last week?',
    sql: `SELECT SUM(doses) AS second_doses
FROM \`ereg.doses_daily\`
WHERE voivodeship = '12'
  AND dose = 2
  AND age_band IN ('70-79', '80+')
  AND DATE_TRUNC(day, ISOWEEK) = DATE_SUB(DATE_TRUNC(@today, ISOWEEK), INTERVAL 7 DAY)`,
  },
  {
    question: 'How long did a person wait for a first free place, in the ten worst powiats, today?',
    sql: `SELECT voivodeship, powiat, days_to_first_free, places_free
FROM \`ereg.waiting_times_by_powiat\`
WHERE day = (SELECT MAX(day) FROM \`ereg.waiting_times_by_powiat\` WHERE day <= @today)
ORDER BY days_to_first_free DESC, places_free
LIMIT 10`,
  },
  {
    question: 'Which share of people over 80 is fully vaccinated, voivodeship by voivodeship?',
    sql: `SELECT voivodeship, population, people_fully_vaccinated, fully_vaccinated_per_100
FROM \`ereg.public_uptake\`
WHERE age_band = '80+'
ORDER BY fully_vaccinated_per_100 DESC`,
  },
  {
    question: 'How many bookings came through each channel, day by day, in the last two weeks?',
    sql: `SELECT day, channel, SUM(bookings) AS bookings, SUM(cancellations) AS cancellations
FROM \`ereg.bookings_daily\`
WHERE day > DATE_SUB(@today, INTERVAL 14 DAY) AND day <= @today
GROUP BY day, channel
ORDER BY day, channel`,
  },
  {
    question: 'Which share of visits did people miss, week by week in the last four weeks, in each voivodeship?',
    sql: `SELECT week, voivodeship, SUM(visits) AS visits, SUM(no_shows) AS no_shows,
  ROUND(SAFE_DIVIDE(SUM(no_shows), SUM(visits)), 3) AS no_show_rate
FROM \`ereg.no_shows_weekly\`
WHERE week > DATE_SUB(@today, INTERVAL 28 DAY) AND week <= @today
GROUP BY week, voivodeship
HAVING SUM(visits) > 0
ORDER BY week DESC, no_show_rate DESC`,
  },
];
