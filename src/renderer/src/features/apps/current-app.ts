// The app (website) the user is working on, shared by every area. Implemented by the apps feature.
export interface CurrentApp {
  id: number;
  name: string;
}

export function useCurrentApp(): { app: CurrentApp | null; setAppId: (id: number) => void } {
  return { app: null, setAppId: () => undefined };
}
