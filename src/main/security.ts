// The Electron security checklist applied app-wide: no navigation, no new windows, no webviews, every
// permission denied, and external links opened in the system browser only when web-policy.ts allows it:
// Pushdeck's documentation at once, a link from the user's own messages after a confirmation.
import { app, BrowserWindow, dialog, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, externalLinkAction } from './web-policy.ts';

async function confirmExternal(url: string): Promise<boolean> {
  const { host } = new URL(url);
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Open a link',
    message: `Open ${host} in your browser?`,
    detail: `This link is in one of your messages:\n${url.slice(0, 500)}`,
  };
  const window = BrowserWindow.getFocusedWindow();
  const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

export function applySecurityPolicy(
  isTrustedUrl: (url: string) => boolean,
  isInMessage: (url: string) => boolean,
): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const action = externalLinkAction(url, isInMessage);
      if (action === 'open') void shell.openExternal(url);
      if (action === 'confirm') {
        void confirmExternal(url).then((yes) => (yes ? shell.openExternal(url) : undefined));
      }
      return { action: 'deny' };
    });
  });
}
