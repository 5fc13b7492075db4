import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';

/**
 * Keeps a failing view from blanking the whole window: the sidebar stays usable and the user
 * is told what happened and what to do. `resetKey` (the view's name) clears the error on navigation.
 */
export class ViewBoundary extends Component<{ resetKey: string; children: ReactNode }, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: Error | null; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('view failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="settings">
        <ErrorBanner
          title="This view ran into a problem and could not be shown."
          error={{ message: this.state.error.message, remedy: 'Open another view from the sidebar, or reload the window (your hosts and microVMs are not affected).' }}
        />
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload the window
        </button>
      </div>
    );
  }
}
