// The subset of plotly.js's figure schema (v3) the plots here produce, typed so notebook users see what a
// figure holds. plotly.js v3 takes titles only as objects: { text }.

export interface PlotlyTitle {
  text: string;
}

export interface ScatterTrace {
  type: 'scatter';
  x: (number | string)[];
  y: number[];
  mode?: 'lines' | 'markers' | 'lines+markers' | 'text' | 'markers+text';
  name?: string;
  xaxis?: string;
  yaxis?: string;
  text?: string[];
  hovertemplate?: string;
  legendgroup?: string;
  showlegend?: boolean;
  line?: { color?: string; dash?: 'solid' | 'dash' | 'dot' | 'dashdot'; width?: number };
  marker?: { color?: string; size?: number; opacity?: number; symbol?: string };
}

export interface HeatmapTrace {
  type: 'heatmap';
  z: number[][];
  x?: (number | string)[];
  y?: (number | string)[];
  text?: string[][];
  texttemplate?: string;
  hovertemplate?: string;
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  colorbar?: { title?: PlotlyTitle };
}

export type PlotlyTrace = ScatterTrace | HeatmapTrace;

export interface PlotlyAxis {
  title?: PlotlyTitle;
  type?: 'linear' | 'log' | 'category';
  domain?: [number, number];
  anchor?: string;
  matches?: string;
  tickvals?: number[];
  ticktext?: string[];
  tickangle?: number;
  autorange?: boolean | 'reversed';
  automargin?: boolean;
  showticklabels?: boolean;
  zeroline?: boolean;
  scaleanchor?: string;
}

export interface PlotlyLayout {
  title?: PlotlyTitle;
  xaxis?: PlotlyAxis;
  yaxis?: PlotlyAxis;
  yaxis2?: PlotlyAxis;
  yaxis3?: PlotlyAxis;
  width?: number;
  height?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  legend?: { orientation?: 'v' | 'h'; x?: number; y?: number; title?: PlotlyTitle };
  hovermode?: 'closest' | 'x' | 'x unified' | false;
  showlegend?: boolean;
}
