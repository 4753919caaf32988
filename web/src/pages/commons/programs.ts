// Sigma's WebGL programs as the graph view uses them, measured without a GPU (bench/commons-view.ts):
// - vertex data goes to the GPU only when it has changed. Sigma 3.0 uploads every program's whole
//   buffer on every frame, twice (the picture and the picking layer): at 20,000 persons that copy
//   was nearly all of a pan's main-thread time (--profile: 19 of 20 s in bufferData). Moving the
//   camera changes only the matrix, a uniform; the data changes only when sigma processes the graph.
// - while the view moves, the picking layer is not drawn;
// - connections of the closer levels of detail are drawn only when the view is that close;
// - the cluster filter hides connections in the vertex shader (ClusterLines).
import { EdgeProgram, NodePointProgram, type Program } from 'sigma/rendering';
import { floatColor } from 'sigma/utils';
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { LEVELS } from './backbone.js';

/** What sigma keeps per WebGL program (its type is not exported by name). */
type ProgramInfo = Program['normalProgram'];
type ProgramClass = new (...args: any[]) => Program;

/** Whether sigma draws this frame as part of a move (its own test for hiding edges and labels). */
export function moving(sigma: Program['renderer']): boolean {
  const mouse = sigma.getMouseCaptor();
  return sigma.getCamera().isAnimated() || mouse.isMoving || mouse.draggedEvents > 0 || mouse.currentWheelDirection !== 0;
}

function uploadOnChange<P extends ProgramClass>(Base: P): P {
  // Abstract to the type checker only: sigma's own classes supply the definition and uniforms.
  abstract class UploadOnChange extends Base {
    /** Bumped by every write to the vertex data; a buffer is current when it holds this version. */
    private version = 0;
    private uploaded = new WeakMap<ProgramInfo, number>();

    reallocate(capacity: number) {
      super.reallocate(capacity);
      this.version++;
    }

    // Nodes are processed as (index, offset, data), edges as (index, offset, source, target, data).
    process(...args: unknown[]) {
      this.version++;
      return (Base.prototype as unknown as { process: (...a: unknown[]) => void }).process.apply(this, args);
    }

    /**
     * While the view moves, the picture only: the picking layer (which dot is under the mouse)
     * is read only at rest, and drawing every dot into it again doubled each moving frame's work.
     */
    render(params: Parameters<Program['render']>[0]) {
      if (!this.pickProgram || !moving(this.renderer) || this.hasNothingToRender()) return super.render(params);
      this.normalProgram.gl.viewport(0, 0, params.width * params.pixelRatio, params.height * params.pixelRatio);
      this.bindProgram(this.normalProgram);
      this.renderProgram(params, this.normalProgram);
      this.unbindProgram(this.normalProgram);
    }

    protected bindProgram(program: ProgramInfo) {
      // Instanced programs also bind a second (constant) buffer; this view draws none (below).
      if (this.isInstanced || this.uploaded.get(program) !== this.version) {
        super.bindProgram(program);
        this.uploaded.set(program, this.version);
        return;
      }
      // Sigma's attribute bindings, without copying the data again.
      const { gl } = program;
      let offset = 0;
      gl.bindBuffer(gl.ARRAY_BUFFER, program.buffer);
      for (const attr of this.ATTRIBUTES) offset += this.bindAttribute(attr, program, offset);
      gl.bindBuffer(gl.ARRAY_BUFFER, null);
    }
  }
  return UploadOnChange as unknown as P;
}

/** A program drawn only when the camera is closer than `ratio` (1: the whole graph in view). */
function closerThan<P extends ProgramClass>(Base: P, ratio: number): P {
  abstract class Closer extends Base {
    render(params: Parameters<Program['render']>[0]) {
      if (params.zoomRatio < ratio) super.render(params);
    }
  }
  return Closer as unknown as P;
}

/** What the connection program reads of the view: the cluster the filter shows, null for all. */
export interface ClusterFilter { shownCluster?: number | null }

const LINE_VERTEX = `
attribute vec2 a_position;
attribute vec4 a_color;
attribute float a_cluster;
uniform mat3 u_matrix;
uniform float u_filtered;
uniform float u_cluster;
varying vec4 v_color;
void main() {
  // A connection of another cluster is moved out of the picture: both ends off the clip space.
  if (u_filtered > 0.5 && a_cluster != u_cluster) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
  } else {
    gl_Position = vec4((u_matrix * vec3(a_position, 1.0)).xy, 0.0, 1.0);
  }
  #ifdef PICKING_MODE
  // The view does not pick connections (sigma's enableEdgeEvents is off): no id to draw.
  v_color = vec4(0.0);
  #else
  // Sigma packs alpha into 254 steps. The page composites the canvas as premultiplied: a
  // translucent colour not multiplied by its alpha came out washed to white (grey lines vanished).
  v_color = a_color;
  v_color.a *= 255.0 / 254.0;
  v_color.rgb *= v_color.a;
  #endif
}`;
const LINE_FRAGMENT = `
precision mediump float;
varying vec4 v_color;
void main() { gl_FragColor = v_color; }`;

/**
 * Connections as one-pixel lines (as sigma's EdgeLineProgram) that also carry their cluster
 * (attribute `cluster`: the cluster both ends are in, the team counting as any). The cluster
 * filter is then two uniforms and one frame; hiding 200,000 connections through sigma's reducer
 * re-indexed the whole graph, 1.1 s on each switch.
 */
class ClusterLines extends EdgeProgram<'u_matrix' | 'u_filtered' | 'u_cluster'> {
  getDefinition() {
    const { FLOAT, UNSIGNED_BYTE, LINES } = WebGLRenderingContext;
    return {
      VERTICES: 2,
      VERTEX_SHADER_SOURCE: LINE_VERTEX,
      FRAGMENT_SHADER_SOURCE: LINE_FRAGMENT,
      METHOD: LINES,
      UNIFORMS: ['u_matrix', 'u_filtered', 'u_cluster'] as const,
      ATTRIBUTES: [
        { name: 'a_position', size: 2, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_cluster', size: 1, type: FLOAT },
      ],
    };
  }

  processVisibleItem(_edgeIndex: number, start: number, source: NodeDisplayData, target: NodeDisplayData, data: EdgeDisplayData) {
    const color = floatColor(data.color);
    const cluster = (data as EdgeDisplayData & { cluster?: number }).cluster ?? -2;
    // Called for each of 200,000 connections when sigma lays the graph out: no array per call.
    const a = this.array;
    a[start] = source.x; a[start + 1] = source.y; a[start + 2] = color; a[start + 3] = cluster;
    a[start + 4] = target.x; a[start + 5] = target.y; a[start + 6] = color; a[start + 7] = cluster;
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo) {
    const shown = (this.renderer as ClusterFilter).shownCluster ?? null;
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    gl.uniform1f(uniformLocations.u_filtered, shown === null ? 0 : 1);
    gl.uniform1f(uniformLocations.u_cluster, shown ?? 0);
  }
}

/** The edge type of each level of detail; level 0 is sigma's default type. */
export const edgeType = (level: number) => (level === 0 ? 'line' : `line${level}`);

// Dots as points and connections as lines: sigma's default circles and rectangles are drawn as
// instances, which software WebGL handles one by one (10 frames a second at 20,000 dots, 29 as points).
export const nodeProgramClasses = { circle: uploadOnChange(NodePointProgram) };
export const edgeProgramClasses = Object.fromEntries(LEVELS.map((l, i) => [edgeType(i), closerThan(uploadOnChange(ClusterLines), l.closerThan)]));
