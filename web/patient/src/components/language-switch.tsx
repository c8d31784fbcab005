import { LANGUAGE_NAMES, LANGUAGES, useI18n } from '../i18n/index.ts';

/**
 * The language buttons, each named in its own language (and marked so, for screen readers), so that
 * a person who cannot read the current one still finds theirs.
 */
export function LanguageSwitch() {
  const { language, setLanguage } = useI18n();
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
