import { DatabaseSync } from 'node:sqlite';
import { hello } from '@ereg/shared';
const db = new DatabaseSync(':memory:');
console.log(hello(1), db.prepare('select 1 as x').get());
