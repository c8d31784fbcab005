import { additiveOf } from './additive-views.ts';
import { parseViewFile, readViewFiles } from './view-files.ts';

/** A daily view refreshed by `events.occurred_on`, with the query given. */
function aDailyView(query: string, columns = ['day', 'channel', 'bookings']) {
  const header = [
    '-- Bookings per day',
    ...columns.map((c) => `-- ${c}: the ${c}`),
    '-- refreshed by: events.occurred_on',
  ];
  return parseViewFile('v.sql', [...header, query, ''].join('\n'));
}

describe('a view whose days add up', () => {
  test('is one grouping of its source, each other column a count or a sum', () => {
    const view = aDailyView(`SELECT occurred_on AS day, actor_role AS channel,
        COUNTIF(type = 'appointment.booked') AS bookings
      FROM \`ereg.events\` WHERE type IN ('appointment.booked') GROUP BY day, channel`);
    expect(additiveOf(view)).toEqual({ keys: ['day', 'channel'], sums: ['bookings'] });
  });

  test.each([
    ['a distinct count', 'SELECT occurred_on AS day, actor_role AS channel, COUNT(DISTINCT subject_id) AS bookings'],
    ['a maximum', 'SELECT occurred_on AS day, actor_role AS channel, MAX(dose) AS bookings'],
    ['a sum inside an expression', 'SELECT occurred_on AS day, actor_role AS channel, SUM(dose) + 1 AS bookings'],
  ])('is not when a column is %s', (_, select) => {
    expect(additiveOf(aDailyView(`${select} FROM \`ereg.events\` GROUP BY day, channel`))).toBeNull();
  });

  test('is not when it groups by something it does not show, filters groups, or reads anything else', () => {
    const start = 'SELECT occurred_on AS day, actor_role AS channel, COUNT(*) AS bookings FROM `ereg.events`';
    expect(additiveOf(aDailyView(`${start} GROUP BY day, channel, dose`))).toBeNull();
    expect(additiveOf(aDailyView(`${start} GROUP BY day, channel HAVING COUNT(*) > 10`))).toBeNull();
    expect(
      additiveOf(
        aDailyView(`${start} WHERE subject_id IN (SELECT subject_id FROM \`ereg.events\`) GROUP BY day, channel`),
      ),
    ).toBeNull();
    expect(
      additiveOf(
        aDailyView(`${start} AS e JOIN \`ereg.centres\` AS c ON c.centre_id = e.centre_id GROUP BY day, channel`),
      ),
    ).toBeNull();
  });

  test('among the views: the daily counts of events are, those that join, count people or pick the latest are not', () => {
    const additive = readViewFiles()
      .filter((v) => additiveOf(v))
      .map((v) => v.name);
    expect(additive).toEqual([
      'batches_daily',
      'bookings_daily',
      'hotline_lookups_daily',
      'lead_times_daily',
      'sms_daily',
    ]);
  });
});
