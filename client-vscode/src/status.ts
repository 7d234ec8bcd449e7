/**
 * The status bar state machine (pure): the server's life cycle plus the commands in flight.
 */
export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusView {
  text: string;
  tooltip: string;
  /** Whether the item should draw attention (error background). */
  error: boolean;
}

export class StatusModel {
  private state: ServerState = 'stopped';
  private readonly running = new Map<number, string>();
  private nextId = 0;
  private failure = '';

  setState(state: ServerState, failure = ''): void {
    this.state = state;
    this.failure = failure;
    if (state !== 'running') {
      this.running.clear();
    }
  }

  /** Marks a long command as running; call the returned function when it ends. */
  begin(title: string): () => void {
    const id = this.nextId++;
    this.running.set(id, title);
    return () => {
      this.running.delete(id);
    };
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  view(): StatusView {
    switch (this.state) {
      case 'starting':
        return { text: '$(loading~spin) GPIoT', tooltip: 'GPIoT: starting the server and loading the model', error: false };
      case 'failed':
        return { text: '$(error) GPIoT', tooltip: `GPIoT: ${this.failure || 'the server stopped'} (click to restart)`, error: true };
      case 'stopped':
        return { text: '$(circle-slash) GPIoT', tooltip: 'GPIoT: server stopped (click to restart)', error: false };
      case 'running':
        if (this.busy) {
          const titles = [...this.running.values()].join(', ');
          return { text: '$(sync~spin) GPIoT', tooltip: `GPIoT: busy (${titles})`, error: false };
        }
        return { text: '$(check) GPIoT', tooltip: 'GPIoT: ready (click for the model status)', error: false };
    }
  }
}
