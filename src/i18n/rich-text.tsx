/**
 * A translated message with React elements in it: `{name}` placeholders become the nodes given, so
 * a sentence with a <code> or <strong> in it stays one message and each language orders it its own way.
 */
import { Fragment, type ReactNode } from 'react';

export function richText(text: string, parts: Record<string, ReactNode>): ReactNode {
  const pieces = text.split(/\{(\w+)\}/g);
  return pieces.map((piece, i) => {
    if (i % 2 === 0) return piece === '' ? null : <Fragment key={i}>{piece}</Fragment>;
    return <Fragment key={i}>{piece in parts ? parts[piece] : `{${piece}}`}</Fragment>;
  });
}
