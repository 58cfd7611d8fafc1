/**
 * Every data-testid of the renderer. Components and the e2e suite import these constants, so
 * a renamed id breaks the build instead of a test run.
 */
export const TESTIDS = {
  app: {
    root: 'app-root',
    mode: 'app-mode',
    version: 'app-version',
    fatalError: 'app-fatal-error',
    hostLost: 'app-host-lost',
  },
  workspace: {
    root: 'workspace',
    problems: 'workspace-problems',
    welcome: 'workspace-welcome',
    tabList: 'workspace-tab-list',
    tab: 'workspace-tab',
    panel: 'workspace-tab-panel',
    palette: 'command-palette',
    themeToggle: 'theme-toggle',
    statusConnection: 'status-connection',
  },
  connections: {
    profiles: 'connections-profiles',
    profile: 'connections-profile',
    open: 'connections-open',
    connection: 'connections-connection',
    state: 'connections-state',
    stateText: 'connections-state-text',
  },
  topics: {
    panel: 'topics-panel',
    topic: 'topics-topic',
  },
  eventLog: {
    panel: 'event-log',
    event: 'event-log-event',
  },
  connection: {
    panel: 'connection-panel',
    input: 'connection-string-input',
    problem: 'connection-string-problem',
    problemMark: 'connection-string-problem-mark',
    password: 'connection-password-input',
    secretsNotice: 'connection-secrets-notice',
    connect: 'connection-connect',
    disconnect: 'connection-disconnect',
    sandbox: 'connection-sandbox',
    sandboxState: 'connection-sandbox-state',
    status: 'connection-status',
    error: 'connection-error',
  },
  subscription: {
    form: 'subscription-form',
    topic: 'subscription-topic',
    topicProblem: 'subscription-topic-problem',
    topicProblemMark: 'subscription-topic-problem-mark',
    filter: 'subscription-filter',
    filterProblem: 'subscription-filter-problem',
    filterProblemMark: 'subscription-filter-problem-mark',
    mode: 'subscription-mode',
    optionOof: 'subscription-option-oof',
    optionTimestamp: 'subscription-option-timestamp',
    batchSize: 'subscription-batch-size',
    subscribe: 'subscription-subscribe',
    unsubscribe: 'subscription-unsubscribe',
    error: 'subscription-error',
    ended: 'subscription-ended',
  },
  messages: {
    list: 'message-list',
    viewport: 'message-list-viewport',
    row: 'message-row',
    empty: 'message-list-empty',
    pause: 'message-list-pause',
    resume: 'message-list-resume',
    clear: 'message-list-clear',
    order: 'message-list-order',
    pausedCount: 'message-list-paused-count',
  },
  detail: {
    pane: 'message-detail',
    headers: 'message-detail-headers',
    payload: 'message-detail-payload',
    payloadKind: 'message-detail-payload-kind',
    empty: 'message-detail-empty',
  },
  stats: {
    bar: 'stats-bar',
    rate: 'stats-rate',
    received: 'stats-received',
    delivered: 'stats-delivered',
    dropped: 'stats-dropped',
    sampled: 'stats-sampled',
    viewDropped: 'stats-view-dropped',
    shown: 'stats-shown',
  },
} as const;

/** The attribute name, for selectors: `[data-testid="..."]`. */
export const TESTID_ATTRIBUTE = 'data-testid';

/** A CSS selector for one test id. */
export const byTestId = (id: string): string => `[${TESTID_ATTRIBUTE}="${id}"]`;
