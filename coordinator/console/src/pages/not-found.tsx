import type { JSX } from 'preact';

export function NotFound(): JSX.Element {
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no page here. <a href="/">Go to the machines</a>.
      </p>
    </>
  );
}
