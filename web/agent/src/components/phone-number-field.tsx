import type { Ref } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';

/** A mobile gets text messages; a landline is noted to call the person back, never texted. */
export type NumberKind = 'mobile' | 'landline';

const KINDS: readonly NumberKind[] = ['mobile', 'landline'];

/**
 * What is wrong with a phone number as typed, or null: a Polish number has 9 digits (+48 or not), a
 * foreign one starts with + and its country code. Which kind it is the API tells.
 */
export function phoneProblem(value: string): MessageKey | null {
  const digits = value.trim().replace(/[\s\-()]/g, '');
  if (!digits) return 'call.number.required';
  return /^(\+?48)?\d{9}$/.test(digits) || /^(\+|00)\d{8,15}$/.test(digits) ? null : 'call.number.invalid';
}

/**
 * A number in E.164 masked as the caller's card shows it: the country code and the last three digits
 * (`+48 *** *** 333`), so that a number the agent typed reads like the ones the API masked.
 */
export function maskedNumber(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const code = digits.startsWith('48') ? '48' : digits.startsWith('380') ? '380' : digits.slice(0, 2);
  const national = digits.slice(code.length);
  const hidden = '*'.repeat(Math.max(0, national.length - 3));
  const groups: string[] = [];
  for (let end = hidden.length; end > 0; end -= 3) groups.unshift(hidden.slice(Math.max(0, end - 3), end));
  return [`+${code}`, ...groups, national.slice(-3)].join(' ');
}

/**
 * A phone number with its kind chosen first (mobile or landline, as the caller says), the field's label
 * and hint following the choice, its error named at the field.
 */
export function PhoneNumberField(props: {
  id: string;
  legend: string;
  kind: NumberKind;
  onKind: (kind: NumberKind) => void;
  value: string;
  onValue: (value: string) => void;
  error: string | null;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useI18n();
  const { id, kind } = props;
  return (
    <fieldset className="call-number">
      <legend>{props.legend}</legend>
      <div className="call-number-kinds">
        {KINDS.map((choice) => (
          <label key={choice} className="call-choice">
            <input
              className="call-choice-input"
              type="radio"
              name={`${id}-kind`}
              value={choice}
              checked={kind === choice}
              onChange={() => props.onKind(choice)}
            />
            {t(`call.number.kind.${choice}`)}
          </label>
        ))}
      </div>
      <Field id={id} label={t(`call.number.label.${kind}`)} hint={t(`call.number.hint.${kind}`)} error={props.error}>
        {(control) => (
          <input
            {...control}
            ref={props.inputRef}
            type="tel"
            autoComplete="off"
            value={props.value}
            onChange={(e) => props.onValue(e.target.value)}
          />
        )}
      </Field>
    </fieldset>
  );
}
