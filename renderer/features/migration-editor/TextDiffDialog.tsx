/** Two texts side by side in a wide dialog: what each side is, then Monaco's diff editor. */
import type { ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextDiffView, type TextDiffViewProps } from './TextDiffView.tsx';

export function TextDiffDialog(
  props: TextDiffViewProps & {
    readonly title: string;
    readonly sides: ReactNode;
    readonly onClose: () => void;
  },
) {
  return (
    <Dialog title={props.title} wide onClose={props.onClose} closeButton>
      <p className="muted">{props.sides}</p>
      <TextDiffView
        original={props.original}
        modified={props.modified}
        dialect={props.dialect}
        label={props.label}
      />
    </Dialog>
  );
}
