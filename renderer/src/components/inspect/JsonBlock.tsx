/** Decoded JSON as text in a scrollable, focusable block: never as markup. */
export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <figure className="json-block">
      <figcaption>{title}</figcaption>
      <pre tabIndex={0} aria-label={`${title} as JSON`}>
        {JSON.stringify(value, null, 2)}
      </pre>
    </figure>
  );
}
