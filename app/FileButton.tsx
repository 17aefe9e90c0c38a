// A button-looking label over a file input: hands the chosen file to `onFile`, then clears the
// input so choosing the same file again fires again.
export function FileButton(props: {
  label: string;
  accept: string;
  testId: string;
  onFile: (f: File) => Promise<void>;
}) {
  return (
    <label className="file-button">
      {props.label}
      <input
        type="file"
        accept={props.accept}
        data-testid={props.testId}
        onChange={(e) => {
          const input = e.currentTarget;
          const f = input.files?.[0];
          if (!f) return;
          void props.onFile(f).finally(() => {
            input.value = '';
          });
        }}
      />
    </label>
  );
}
