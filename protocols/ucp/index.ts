/** UCP/EMI: codec, framing, content helpers and sessions (client = large account, server = SMSC). */
export * from './constants';
export * from './pdu';
export * from './schema';
export * from './codec';
export * from './framing';
export * from './content';
export * from './address';
export * from './xser';
export * from './time';
export * from './message';
export * from './receipt';
export * from './states';
export * from './required';
export * from './session';
export * from './client';
export * from './server';
