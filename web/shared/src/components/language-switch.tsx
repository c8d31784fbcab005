import type { Language } from '@ereg/shared';
import { LANGUAGE_NAMES, LANGUAGES } from '../languages.ts';

/**
 * The language buttons, each named in its own language (and marked so, for screen readers), so that
 * a person who cannot read the current one still finds theirs.
 */
export function LanguageSwitch({
  language,
  setLanguage,
}: {
  language: Language;
  setLanguage: (language: Language) => void;
}) {
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">Język · Language · Мова</legend>
      {LANGUAGES.map((option) => (
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
