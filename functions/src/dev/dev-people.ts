import type { DatabaseSync } from 'node:sqlite';
import type { VerifiedIdentity } from '@ereg/shared';

export interface DevPerson extends VerifiedIdentity {
  birthDate: string;
  sex: string;
  language: string;
  groups: string[];
}

/**
 * The people the development identity provider can vouch for (demo citizens). A real provider knows
 * the whole population; this one knows the demo data set, and vouches for any other valid PESEL too.
 */
export class DevPeople {
  private readonly st;

  constructor(db: DatabaseSync) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS dev_idp_people (pesel TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL)',
    );
    db.exec('CREATE INDEX IF NOT EXISTS dev_idp_people_by_position ON dev_idp_people (position)');
    this.st = {
      put: db.prepare('INSERT OR REPLACE INTO dev_idp_people (pesel, position, data) VALUES (?, ?, ?)'),
      get: db.prepare('SELECT data FROM dev_idp_people WHERE pesel = ?'),
      page: db.prepare('SELECT data FROM dev_idp_people ORDER BY position LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT count(*) AS n FROM dev_idp_people'),
    };
  }

  add(people: readonly DevPerson[], firstPosition: number): void {
    people.forEach((person, i) => {
      this.st.put.run(person.pesel, firstPosition + i, JSON.stringify(person));
    });
  }

  get(pesel: string): DevPerson | null {
    const row = this.st.get.get(pesel) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as DevPerson) : null;
  }

  list(limit: number, offset: number): DevPerson[] {
    return (this.st.page.all(limit, offset) as Array<{ data: string }>).map((r) => JSON.parse(r.data) as DevPerson);
  }

  count(): number {
    return (this.st.count.get() as { n: number }).n;
  }
}
