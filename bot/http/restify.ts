// The stand-in for spdy must be in place before restify loads (see withoutSpdy.ts).
import './withoutSpdy';
import restify from 'restify';

export default restify;
