// The cartesian dist bundle ships without types; the UI uses only react() and purge().
declare module 'plotly.js-cartesian-dist-min';
