/** A labelled `<select>` over a fixed set of string values, typed by that set. */
export interface ChoiceFieldProps<T extends string> {
  readonly label: string;
  readonly value: T;
  readonly choices: readonly T[];
  readonly onChange: (value: T) => void;
  /** How a value reads in the list (default: the value itself). */
  readonly describe?: (value: T) => string;
}

export function ChoiceField<T extends string>({
  label,
  value,
  choices,
  onChange,
  describe,
}: ChoiceFieldProps<T>) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {describe === undefined ? choice : describe(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}
