import type { Language } from '@ereg/shared';
import { LANGUAGE_NAMES, LANGUAGES } from '../languages.ts';

/** "Language" in each language, for the group's legend. */
const LEGEND_WORDS: Record<Language, string> = { pl: 'Język', en: 'Language', uk: 'Мова' };

/**
 * The language buttons, each named in its own language (and marked so, for screen readers), so that
 * a person who cannot read the current one still finds theirs. `languages`: an app offering fewer
 * than all of them names those only.
 */
export function LanguageSwitch<L extends Language>({
  language,
  setLanguage,
  languages = LANGUAGES as readonly Language[] as readonly L[],
}: {
  language: L;
  setLanguage: (language: L) => void;
  languages?: readonly L[];
}) {
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{languages.map((l) => LEGEND_WORDS[l]).join(' · ')}</legend>
      {languages.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={option === language}
          onClick={() => setLanguage(option)}
        >
          {LANGUAGE_NAMES[option]}
        </button>
      ))}
    </fieldset>
  );
}
