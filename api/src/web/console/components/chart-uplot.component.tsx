import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Options of a chart without its size: the component sizes it to its container. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

/**
 * One uPlot chart in a div, sized to the container's width (and redrawn when it changes), rebuilt
 * when `options` change, fed new `data` in place otherwise, destroyed on unmount. The canvas is
 * hidden from assistive technology: every chart comes with a caption and a table alternative.
 */
export function UplotChart({ options, data, height = 260, label }: { options: ChartOptions; data: uPlot.AlignedData; height?: number; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = host.current!;
    const width = () => Math.max(280, Math.floor(el.clientWidth));
    const chart = new uPlot({ ...options, width: width(), height }, data, el);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: width(), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Data changes alone are applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options, height]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return <div class="chart" ref={host} data-chart={label} aria-hidden="true" />;
}
