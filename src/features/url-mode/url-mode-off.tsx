/** In URL mode, in place of a lesson panel that needs the lab's own server: why it is off. */
import { useI18n } from '../../i18n/i18n.tsx';

export function UrlModeOff({ what, runs = false }: { what: string; runs?: boolean }) {
  const { t } = useI18n();
  return (
    <p className="banner info url-mode-off" data-testid="url-mode-off">
      <strong>{what}</strong> {t(runs ? 'url.runsOff' : 'url.panelOff')}
    </p>
  );
}
